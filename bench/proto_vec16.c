// bench/proto_vec16.c: prototype batch-1 kernel, one row per lane (16 rows per
// zmm), to compare with the generated scalar kernel (bench/gemv.sh, fc7 9%).
// clang-22 -O3 -march=native bench/proto_vec16.c -o /tmp/v16 && /tmp/v16
// Prototype: batch-1 sparse kernel with one row per lane (16 rows per group),
// u16 fields (5-bit code, 5-bit delta; fillers for gaps > 31), vs a scalar
// 4-row-interleaved version of the same fields. fc7-like: 4096x4096, 9%.
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e9+t.tv_nsec;}
enum{M=4096,K=4096};
int main(){
  float table[32]; for(int i=0;i<32;i++) table[i]=i?(i-16)*0.01f:0;
  // rows: random 9% columns; build field lists
  static uint16_t *rowf[M]; static int rown[M];
  long total=0;
  for(int r=0;r<M;r++){ uint16_t *f=malloc(2*K); int n=0,prev=0;
    for(int c=0;c<K;c++) if(rand()%100<9){ int d=c-prev; prev=c; while(d>31){f[n++]=(31<<5);d-=31;} f[n++]=(d<<5)|(1+rand()%31);} 
    rowf[r]=f; rown[r]=n; total+=n;}
  // groups of 16 rows (unsorted; similar lengths anyway), padded
  int G=M/16; int *T=malloc(4*G); long *off=malloc(8*(G+1)); off[0]=0;
  for(int g=0;g<G;g++){int t=0; for(int l=0;l<16;l++) if(rown[g*16+l]>t)t=rown[g*16+l]; T[g]=t; off[g+1]=off[g]+(long)t*16;}
  uint16_t *w=aligned_alloc(64,2*off[G]+64); memset(w,0,2*off[G]);
  for(int g=0;g<G;g++) for(int l=0;l<16;l++) for(int i=0;i<rown[g*16+l];i++) w[off[g]+(long)i*16+l]=rowf[g*16+l][i];
  float *x=aligned_alloc(64,4*K+64); for(int i=0;i<K;i++)x[i]=(rand()%1000)*0.001f;
  float *y=aligned_alloc(64,4*M), *y2=aligned_alloc(64,4*M);
  __m512 t0=_mm512_loadu_ps(table), t1=_mm512_loadu_ps(table+16);
  for(int rep=0;rep<5;rep++){
    double a=now();
    for(int g=0;g<G;g++){
      __m512i pos=_mm512_setzero_si512(); __m512 acc=_mm512_setzero_ps(), acc2=acc;
      const uint16_t *p=w+off[g]; int t=T[g]; int i=0;
      for(;i+1<t;i+=2){
        __m512i f=_mm512_cvtepu16_epi32(_mm256_load_si256((const __m256i*)(p+i*16)));
        pos=_mm512_add_epi32(pos,_mm512_srli_epi32(f,5));
        __m512 wv=_mm512_permutex2var_ps(t0,f,t1);
        acc=_mm512_fmadd_ps(wv,_mm512_i32gather_ps(pos,x,4),acc);
        __m512i f2=_mm512_cvtepu16_epi32(_mm256_load_si256((const __m256i*)(p+i*16+16)));
        pos=_mm512_add_epi32(pos,_mm512_srli_epi32(f2,5));
        __m512 wv2=_mm512_permutex2var_ps(t0,f2,t1);
        acc2=_mm512_fmadd_ps(wv2,_mm512_i32gather_ps(pos,x,4),acc2);
      }
      for(;i<t;i++){ __m512i f=_mm512_cvtepu16_epi32(_mm256_load_si256((const __m256i*)(p+i*16)));
        pos=_mm512_add_epi32(pos,_mm512_srli_epi32(f,5));
        acc=_mm512_fmadd_ps(_mm512_permutex2var_ps(t0,f,t1),_mm512_i32gather_ps(pos,x,4),acc);}
      _mm512_store_ps(y+g*16,_mm512_add_ps(acc,acc2));
    }
    double b=now();
    // scalar reference, 4 rows interleaved
    for(int r=0;r<M;r+=4){ float s[4]={0}; for(int q=0;q<4;q++){int pos=0; const uint16_t*f=rowf[r+q]; float acc0=0,acc1=0; int n=rown[r+q],i=0;
        for(;i+1<n;i+=2){pos+=f[i]>>5; acc0+=table[f[i]&31]*x[pos]; pos+=f[i+1]>>5; acc1+=table[f[i+1]&31]*x[pos];}
        if(i<n){pos+=f[i]>>5; acc0+=table[f[i]&31]*x[pos];} s[q]=acc0+acc1;} for(int q=0;q<4;q++) y2[r+q]=s[q];}
    double c=now();
    double err=0; for(int i=0;i<M;i++){double d=y[i]-y2[i]; if(d<0)d=-d; if(d>err)err=d;}
    printf("entries %ld padded %ld: vec16 %.3f ms (%.3f ns/entry), scalar(non-interleaved C) %.3f ms, maxdiff %g\n", total, off[G], (b-a)/1e6, (b-a)/total, (c-b)/1e6, err);
  }
}
